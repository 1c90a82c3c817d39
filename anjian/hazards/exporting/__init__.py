"""Exports of the hazard ledger: the zones' xlsx ledger (`ledger`) and the national interface
records (`national`), with the labels both print (`labels`); their pages (`views`) and
endpoints (`api`). An enterprise's quarterly statistics are the statistics app's."""
