"""Research pipeline: build pipelines, train, evaluate, compare models."""
