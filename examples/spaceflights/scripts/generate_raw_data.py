"""Regenerate the tiny raw CSV files in data/01_raw/.

The files are committed; this script only documents where they came from.
It is deterministic: running it again rewrites the same bytes.

    python scripts/generate_raw_data.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

RAW = Path(__file__).resolve().parents[1] / "data" / "01_raw"
N_COMPANIES = 24
N_SHUTTLES = 40


def main() -> None:
    rng = np.random.default_rng(7)
    RAW.mkdir(parents=True, exist_ok=True)

    companies = pd.DataFrame(
        {
            "id": np.arange(1, N_COMPANIES + 1),
            "company_rating": [f"{r}%" for r in rng.integers(60, 101, N_COMPANIES)],
            "company_location": rng.choice(
                ["Niue", "Anguilla", "Russian Federation", "Barbados", "Isle of Man"],
                N_COMPANIES,
            ),
            "total_fleet_count": rng.integers(1, 6, N_COMPANIES),
            "iata_approved": rng.choice(["t", "f"], N_COMPANIES),
        }
    )

    engines = rng.integers(1, 5, N_SHUTTLES)
    capacity = rng.integers(2, 9, N_SHUTTLES)
    crew = rng.integers(1, 4, N_SHUTTLES)
    d_check = rng.choice(["t", "f"], N_SHUTTLES)
    moon = rng.choice(["t", "f"], N_SHUTTLES)
    price = (
        400
        + 150 * engines
        + 120 * capacity
        + 60 * crew
        + 90 * (d_check == "t")
        + 140 * (moon == "t")
        + rng.normal(0, 40, N_SHUTTLES)
    )
    shuttles = pd.DataFrame(
        {
            "id": np.arange(101, 101 + N_SHUTTLES),
            "shuttle_location": rng.choice(["Niue", "Anguilla", "Barbados", "Isle of Man"], N_SHUTTLES),
            "shuttle_type": rng.choice(["Type V5", "Type F5", "Type V2"], N_SHUTTLES),
            "engine_type": rng.choice(["Quantum", "Plasma", "Nuclear"], N_SHUTTLES),
            "engine_vendor": rng.choice(
                ["ThetaBase Services", "Banks, Wood and Phillips", "Kedro Propulsion"],
                N_SHUTTLES,
            ),
            "engines": engines,
            "passenger_capacity": capacity,
            "crew": crew,
            "d_check_complete": d_check,
            "moon_clearance_complete": moon,
            "price": [f"${p:,.1f}" for p in price],
            "company_id": rng.integers(1, N_COMPANIES + 1, N_SHUTTLES),
        }
    )

    reviews = pd.DataFrame(
        {
            "shuttle_id": shuttles["id"],
            "review_scores_rating": rng.integers(70, 101, N_SHUTTLES),
            "review_scores_comfort": rng.integers(6, 11, N_SHUTTLES),
            "number_of_reviews": rng.integers(0, 60, N_SHUTTLES),
        }
    )

    companies.to_csv(RAW / "companies.csv", index=False)
    shuttles.to_csv(RAW / "shuttles.csv", index=False)
    reviews.to_csv(RAW / "reviews.csv", index=False)


if __name__ == "__main__":
    main()
