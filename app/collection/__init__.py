"""The runner side of collectors: schedule, run, write, publish."""
