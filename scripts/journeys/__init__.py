"""journeys: helpers around the customer-journey dbt project."""

__version__ = "0.1.0"
