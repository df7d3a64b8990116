"""CodeAtlas desktop application: the Qt shell over the pure-Python core."""
