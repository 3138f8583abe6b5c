"""Who is calling: customer tokens from the shop page, the servers' secrets and proofs, stamps."""
