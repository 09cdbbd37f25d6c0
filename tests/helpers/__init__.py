"""Programs the tests start in other processes."""
