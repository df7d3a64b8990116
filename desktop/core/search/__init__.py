"""The search engine: code lookup, word search over the search cache, ranking, synonyms, spelling."""
