"""The `apigen` command line and its configuration."""
