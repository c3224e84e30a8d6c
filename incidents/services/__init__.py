"""Everything that changes or reads the store on a user's behalf: edits with permission, audit
and locking; import; review; duplicates; accounts; backup; settings; the sample."""
