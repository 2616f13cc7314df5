"""Pure figure builders: query rows in, Plotly figure dicts out."""
