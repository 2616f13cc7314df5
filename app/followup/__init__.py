"""Follow-up: who came, who enrolled afterwards, and which events earned the credit."""
