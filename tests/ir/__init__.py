"""What the IR decides from a spec: names, types, pagination, credentials, frozen nodes."""
