import logging
from typing import Any

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)


def split_data(
    data: pd.DataFrame, options: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Shuffle the rows with a fixed seed and split them into train and test sets.

    The targets are one-column frames so every split can be stored as Parquet.
    """
    features = options["features"]
    shuffled = data.sample(frac=1.0, random_state=options["random_state"])
    n_test = max(1, round(len(shuffled) * options["test_size"]))
    test, train = shuffled.iloc[:n_test], shuffled.iloc[n_test:]
    target = [options["target"]]
    return (
        train[features].reset_index(drop=True),
        test[features].reset_index(drop=True),
        train[target].reset_index(drop=True),
        test[target].reset_index(drop=True),
    )


def _design_matrix(X: pd.DataFrame) -> np.ndarray:
    values = X.to_numpy(dtype=float)
    return np.column_stack([np.ones(len(values)), values])


def train_model(X_train: pd.DataFrame, y_train: pd.DataFrame) -> dict[str, Any]:
    """Fit ordinary least squares with numpy; the model is a plain dict."""
    coef, *_ = np.linalg.lstsq(_design_matrix(X_train), y_train.to_numpy(dtype=float).ravel(), rcond=None)
    return {
        "features": list(X_train.columns),
        "intercept": float(coef[0]),
        "coefficients": [float(c) for c in coef[1:]],
    }


def predict(model: dict[str, Any], X: pd.DataFrame) -> np.ndarray:
    weights = np.array([model["intercept"], *model["coefficients"]])
    return _design_matrix(X[model["features"]]) @ weights


def evaluate_model(model: dict[str, Any], X_test: pd.DataFrame, y_test: pd.DataFrame) -> dict[str, float]:
    """Score the model on the held-out rows."""
    y = y_test.to_numpy(dtype=float).ravel()
    residuals = y - predict(model, X_test)
    total = float(((y - y.mean()) ** 2).sum())
    metrics = {
        "r2": 1.0 - float((residuals**2).sum()) / total if total else 0.0,
        "mae": float(np.abs(residuals).mean()),
        "n_test": int(len(y)),
    }
    logger.info("Model has R^2 %.3f and MAE %.1f on test data.", metrics["r2"], metrics["mae"])
    return metrics
