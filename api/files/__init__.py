"""Files in and out: site, client, policy and scenario files read; results, studies and maps
written. The core (``matcher``) never opens a file; this package does it for every door."""
