"""The offline builder of the skills taxonomy and role catalogue (``build_taxonomy`` runs it).

``sources`` reads the data sets, ``names`` cleans their labels, ``categories`` sorts them,
``builder`` merges them into one skill per alias, ``roles`` maps occupations to skill ids, and
``writing`` turns the result into the compact gzip JSON the app loads.
"""
