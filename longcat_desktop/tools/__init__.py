"""Tools from MCP servers: their configuration, one owner task per server connection, tool
listing and calls. Imports the domain and the `mcp` SDK, never Qt or the store."""
