"""The detail pane and its three tabs."""
