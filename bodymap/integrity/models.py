# No models. The module exists because Django sends post_migrate only to apps that have one,
# and this app reinstalls the database's guards on post_migrate.
