/**
 * The reference server: {@link dev.wagateway.server.ReferenceServer} (REST API, WebSocket event
 * stream, /metrics, /health, status page) configured by {@link dev.wagateway.server.ServerConfig},
 * started by {@link dev.wagateway.server.Main}.
 */
@NullMarked
package dev.wagateway.server;

import org.jspecify.annotations.NullMarked;
