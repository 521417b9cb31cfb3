/** WhatsApp addresses: JIDs, E.164 phone numbers and their masking for logs. */
@NullMarked
package dev.wagateway.jid;

import org.jspecify.annotations.NullMarked;
