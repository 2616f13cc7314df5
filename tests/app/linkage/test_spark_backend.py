"""The Spark backend (``LINKAGE_BACKEND=spark``) links what the DuckDB backend links.

The same generated people (the benchmark's generator, at a size one Spark session on two cores
handles in about a minute) go through ``link`` twice, on DuckDB and on a local PySpark session:
the pairs and their statuses must be the same, and the scores equal to 1e-6 (the two engines add
the same match weights in another order). Locally the Spark test skips when no ``java`` is on
the PATH (or PySpark is not installed: ``requirements-spark.txt``); in CI (``CI=true``, where
``.ci/run`` installs ``default-jre-headless`` and ``make test`` PySpark) it fails.
"""

from __future__ import annotations

import gc
import importlib.util
import shutil

import pytest

from app.linkage import LinkStatus, link, normalize_records
from app.linkage import spark_backend as spark
from app.linkage.probabilistic import load_model
from bench.synthetic_people import Generator
from tests.servers import in_ci

SCORE_TOLERANCE = 1e-6


def require_spark() -> None:
    """Skip (locally) or fail (in CI) without a Java runtime for Spark's JVM, or without PySpark."""
    if shutil.which("java") is None:
        message = "no java on the PATH (apt-get install default-jre-headless)"
    elif importlib.util.find_spec("pyspark") is None:
        message = "PySpark is not installed (make test WITH_SPARK=1)"
    else:
        return
    if in_ci():
        pytest.fail(message + " (CI=true: tests that need it fail instead of skipping)")
    pytest.skip(message)


def test_every_condition_of_the_model_is_spark_sql() -> None:
    import sqlglot

    settings = spark.spark_settings(load_model())
    assert settings["sql_dialect"] == "spark"
    conditions = [
        level["sql_condition"]
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
    ] + [rule["blocking_rule"] for rule in settings["blocking_rules_to_generate_predictions"]]
    for sql in conditions:
        assert not any(name in sql.lower() for name in spark.FUNCTIONS), sql
        assert "&&" not in sql, sql  # sqlglot's rendering of list_has_any, not Spark's
        if sql != "ELSE":
            sqlglot.parse_one(sql, read="spark")  # Spark can read it

    # The m and u probabilities are the model's, untouched.
    def m_probabilities(model: dict) -> list:
        return [lv.get("m_probability") for c in model["comparisons"]
                for lv in c["comparison_levels"]]  # fmt: skip

    assert m_probabilities(settings) == m_probabilities(load_model())


@pytest.mark.parametrize(
    ("duckdb", "spark_sql"),
    [
        ("jaro_winkler_similarity(given_f_l, given_f_r) >= 0.92",
         "JARO_WINKLER(given_f_l, given_f_r) >= 0.92"),
        ("list_has_any(candidates_l, candidates_r)", "ARRAYS_OVERLAP(candidates_l, candidates_r)"),
        ("list_contains(phones_r, phone_l)", "ARRAY_CONTAINS(phones_r, phone_l)"),
        ("damerau_levenshtein(cccd_l, cccd_r) <= 1", "DAMERAU_LEVENSHTEIN(cccd_l, cccd_r) <= 1"),
        ('"cccd_l" IS NULL OR "cccd_r" IS NULL', "`cccd_l` IS NULL OR `cccd_r` IS NULL"),
        ("ELSE", "ELSE"),
    ],
)  # fmt: skip
def test_duckdb_functions_become_spark_functions(duckdb: str, spark_sql: str) -> None:
    assert spark.to_spark_sql(duckdb) == spark_sql


def test_the_backend_is_chosen_by_the_configuration() -> None:
    assert spark.options_from({}) is None
    assert spark.options_from({"LINKAGE_BACKEND": "duckdb"}) is None
    config = {"LINKAGE_BACKEND": "spark", "LINKAGE_SPARK_MASTER": "local[1]",
              "LINKAGE_SPARK_MEMORY": "1g", "LINKAGE_SPARK_PARTITIONS": 3}  # fmt: skip
    options = spark.options_from(config)
    assert options == spark.SparkOptions(master="local[1]", memory="1g", partitions=3)
    assert options.local
    cluster = spark.options_from({**config, "LINKAGE_SPARK_MASTER": "spark://spark.internal:7077",
                                  "LINKAGE_SPARK_SCRATCH": "/mnt/shared/spark"})  # fmt: skip
    assert not cluster.local
    assert cluster.scratch == "/mnt/shared/spark"


# Py4J leaves the sockets of Spark's result streams to the garbage collector; they are collected
# here, inside the test, so the warnings they raise stay with it.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_spark_links_the_same_pairs_as_duckdb() -> None:
    require_spark()
    data = Generator(7).dataset(150, 1500)
    attendees, _ = normalize_records(data.attendees)
    enrolments, _ = normalize_records(data.enrolments)
    on_duckdb = link(attendees, enrolments)
    on_spark = link(attendees, enrolments, spark=spark.SparkOptions(partitions=2))
    gc.collect()

    def pairs(result) -> dict:  # type: ignore[no-untyped-def]
        return {(lk.attendee_id, lk.enrolment_id, lk.status): lk.score for lk in result.links}

    expected, got = pairs(on_duckdb), pairs(on_spark)
    assert any(s == LinkStatus.LINKED for *_, s in expected)
    assert sum(1 for lk in on_duckdb.links if lk.method.value == "probabilistic") > 0
    assert set(got) == set(expected)
    for key, score in expected.items():
        assert got[key] == pytest.approx(score, abs=SCORE_TOLERANCE), key
