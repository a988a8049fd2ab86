from typing import Any

import pandas as pd


def summarise_shuttle_types(shuttles: pd.DataFrame) -> pd.DataFrame:
    """One row per shuttle type: how many, average capacity and price."""
    return (
        shuttles.groupby("shuttle_type")
        .agg(
            shuttles=("id", "count"),
            mean_passenger_capacity=("passenger_capacity", "mean"),
            mean_price=("price", "mean"),
        )
        .round(2)
        .reset_index()
    )


def fleet_stats(shuttles: pd.DataFrame) -> dict[str, Any]:
    """A few headline numbers about the fleet."""
    return {
        "shuttles": int(len(shuttles)),
        "total_passenger_capacity": int(shuttles["passenger_capacity"].sum()),
        "moon_cleared_share": round(float(shuttles["moon_clearance_complete"].mean()), 3),
        "shuttles_per_engine_vendor": {
            str(k): int(v) for k, v in shuttles["engine_vendor"].value_counts().sort_index().items()
        },
    }
