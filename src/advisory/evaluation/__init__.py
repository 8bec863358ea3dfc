"""Scoring predictions against what happened: the numbers behind `backtest` and `calibrate`."""
