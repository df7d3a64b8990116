"""The Qt-free core: records, index schema, paths and search."""
