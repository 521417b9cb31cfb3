/** The WebEngine's machinery: connection state machine, credentials, stanza builders. Not API. */
@NullMarked
package dev.wagateway.web.internal;

import org.jspecify.annotations.NullMarked;
