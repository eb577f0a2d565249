"""Running Yiwang in production: worker processes, health, metrics and logs."""
