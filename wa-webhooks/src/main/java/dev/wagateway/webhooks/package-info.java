/**
 * Reserved for the wa-webhooks module; its issue in the tracker says what lands here. Empty on purpose:
 * no placeholder code pretends to work before then.
 */
@NullMarked
package dev.wagateway.webhooks;

import org.jspecify.annotations.NullMarked;
