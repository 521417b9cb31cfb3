/** Session lifecycle: states, the transition table, reconnect and watchdog policies, the registry API. */
@NullMarked
package dev.wagateway.session;

import org.jspecify.annotations.NullMarked;
