from kedro.pipeline import Node, Pipeline

from .nodes import fleet_stats, summarise_shuttle_types


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                summarise_shuttle_types,
                inputs="preprocessed_shuttles",
                outputs="shuttle_type_summary",
                name="summarise_shuttle_types_node",
            ),
            Node(
                fleet_stats,
                inputs="preprocessed_shuttles",
                outputs="fleet_stats",
                name="fleet_stats_node",
            ),
        ],
        namespace="reporting",
        prefix_datasets_with_namespace=False,
        inputs={"preprocessed_shuttles"},
        outputs={"shuttle_type_summary", "fleet_stats"},
    )
