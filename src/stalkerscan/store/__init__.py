"""What stalkerscan keeps on disk between runs: installed indicator sets (and the case database)."""
