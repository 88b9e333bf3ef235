"""Model bundles shipped with boolfate (installed as ``boolfate.networks``).

Each sub-folder is a bundle: ``model.bnet`` (rules) and ``model.toml`` (fates, conditions,
initial state, scenarios), optionally ``observations.csv`` and ``README.md``.
"""
