"""The probabilistic pass on Spark (``LINKAGE_BACKEND=spark``): a national enrolment file.

The same Splink model as the DuckDB path — ``model.json``'s m and u probabilities, its
comparison levels and blocking rules, the household phones — run by Splink's ``SparkAPI``, so the
pairwise scoring (the part that grows with the file) spreads over a Spark cluster, or over the
cores of one machine with the default ``local[2]`` master. Only the SQL's dialect changes:
``spark_settings`` rewrites DuckDB's functions into Spark's (and the Jaro-Winkler and
Damerau-Levenshtein functions of the jar Splink ships).

The tables go to Spark as Parquet files in a temporary folder, not through pandas: Arrow's types
(nullable integers, lists of strings) arrive as they are, and Spark reads them in partitions.
PySpark and a Java runtime are needed only here (``requirements-spark.txt``); nothing imports
this module unless the backend is chosen.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

# DuckDB functions of the model and their Spark names (the similarity jar's for the string
# distances). sqlglot alone renders list_has_any as "&&" and jaro_winkler_similarity as a name
# Spark does not know, so the names are set before it transpiles the rest.
FUNCTIONS = {
    "jaro_winkler_similarity": "jaro_winkler",
    "list_contains": "array_contains",
    "list_has_any": "arrays_overlap",
}
_FUNCTION = re.compile(r"\b(" + "|".join(FUNCTIONS) + r")\s*\(", re.IGNORECASE)


@dataclass(frozen=True)
class SparkOptions:
    """Where Spark runs: ``LINKAGE_SPARK_MASTER``, ``_MEMORY``, ``_PARTITIONS``."""

    master: str = "local[2]"
    memory: str = "2g"
    partitions: int = 8
    # Where the input Parquet files go: a folder every Spark worker reads (shared storage) when
    # the master is a cluster; the system's temporary folder is enough for local[N].
    scratch: str | None = None

    @property
    def local(self) -> bool:
        return self.master.startswith("local")


def to_spark_sql(sql: str) -> str:
    """One condition or blocking rule of the DuckDB model, in Spark SQL."""
    import sqlglot

    if sql.strip().upper() == "ELSE":
        return sql
    renamed = _FUNCTION.sub(lambda m: FUNCTIONS[m.group(1).lower()] + "(", sql)
    return sqlglot.transpile(renamed, read="duckdb", write="spark")[0]


def spark_settings(model: dict) -> dict:
    """The model with every SQL condition and blocking rule in Spark's dialect."""
    settings: dict[str, Any] = {**model, "sql_dialect": "spark"}
    settings["comparisons"] = [
        {
            **comparison,
            "comparison_levels": [
                {**level, "sql_condition": to_spark_sql(level["sql_condition"])}
                for level in comparison["comparison_levels"]
            ],
        }
        for comparison in model["comparisons"]
    ]
    settings["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": to_spark_sql(_rule_text(rule)), "sql_dialect": "spark"}
        for rule in model["blocking_rules_to_generate_predictions"]
    ]
    return settings


def _rule_text(rule: str | dict) -> str:
    return rule if isinstance(rule, str) else rule["blocking_rule"]


def session(options: SparkOptions):  # type: ignore[no-untyped-def]
    """A Spark session with Splink's similarity jar; one per process (Spark's own rule)."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    builder = (
        SparkSession.builder.master(options.master)
        .appName("lantoa-linkage")
        .config("spark.driver.memory", options.memory)
        .config("spark.sql.shuffle.partitions", str(options.partitions))
        .config("spark.default.parallelism", str(options.partitions))
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if options.local:
        # A local session talks to itself on loopback, never on the host's network address (a
        # cluster's executors, on the contrary, must reach the driver: Spark's defaults then).
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def options_from(config: Mapping[str, Any]) -> SparkOptions | None:
    """The Spark options of ``LINKAGE_BACKEND=spark``; None for the DuckDB default."""
    if str(config.get("LINKAGE_BACKEND") or "duckdb").lower() != "spark":
        return None
    return SparkOptions(
        master=str(config.get("LINKAGE_SPARK_MASTER") or SparkOptions.master),
        memory=str(config.get("LINKAGE_SPARK_MEMORY") or SparkOptions.memory),
        partitions=int(config.get("LINKAGE_SPARK_PARTITIONS") or SparkOptions.partitions),
        scratch=config.get("LINKAGE_SPARK_SCRATCH") or None,
    )


def predict(
    attendees: pa.Table,
    enrolments: pa.Table,
    model: dict,
    *,
    threshold: float = 0.5,
    options: SparkOptions | None = None,
) -> pa.Table:
    """Scored pairs (attendee_id, enrolment_id, match_probability), as ``probabilistic.predict``.

    Called by ``probabilistic.predict`` with the household phones added and the prior set.
    """
    from splink import Linker, SparkAPI

    if attendees.num_rows == 0 or enrolments.num_rows == 0:
        return _pairs([], [], [])
    options = options or SparkOptions()
    logging.getLogger("splink").setLevel(logging.WARNING)
    spark = session(options)
    with tempfile.TemporaryDirectory(prefix="lantoa-spark-", dir=options.scratch) as folder:
        frames = []
        for name, table in (("attendees", attendees), ("enrolments", enrolments)):
            path = Path(folder) / f"{name}.parquet"
            pq.write_table(table, path)
            frames.append(spark.read.parquet(str(path)))
        api = SparkAPI(
            spark_session=spark,
            num_partitions_on_repartition=options.partitions,
            break_lineage_method="persist",
        )
        run = uuid.uuid4().hex[:8]  # views of one run never meet another's in the session
        inputs = [
            api.register(frame, dataset_display_name=name, table_name=f"{name}_{run}")
            for frame, name in zip(frames, ("attendees", "enrolments"), strict=True)
        ]
        linker = Linker(inputs, spark_settings(model))
        pairs = linker.inference.predict(threshold_match_probability=threshold)
        columns = ["source_dataset_l", "unique_id_l", "unique_id_r", "match_probability"]
        rows = pairs.as_spark_dataframe().select(*columns).collect()
        for name in ("attendees", "enrolments"):
            spark.catalog.dropTempView(f"{name}_{run}")
        spark.catalog.clearCache()
    if not rows:
        return _pairs([], [], [])
    table = pa.Table.from_pylist([row.asDict() for row in rows])
    # Splink orders each pair by dataset name; "attendees" < "enrolments" keeps them on the left.
    left_is_attendee = pc.equal(table["source_dataset_l"], "attendees")
    attendee = pc.if_else(left_is_attendee, table["unique_id_l"], table["unique_id_r"])
    enrolment = pc.if_else(left_is_attendee, table["unique_id_r"], table["unique_id_l"])
    return _pairs(attendee, enrolment, table["match_probability"])


def _pairs(attendee: Any, enrolment: Any, probability: Any) -> pa.Table:
    return pa.table(
        {
            "attendee_id": pa.array(attendee, pa.string()),
            "enrolment_id": pa.array(enrolment, pa.string()),
            "match_probability": pa.array(probability, pa.float64()),
        }
    )
