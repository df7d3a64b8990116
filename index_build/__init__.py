"""CodeAtlas index builder: official code-set files in, a Whoosh index out."""
