"""Settings: dripmail.toml < front matter < command line, validated up front."""
