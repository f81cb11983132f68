"""The build pipeline: read, plan, render, write and check every article."""
