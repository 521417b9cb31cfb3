/** WhatsApp's binary XML-like node format (dictionary v3): the typed Node model, encoder and decoder. */
@NullMarked
package dev.wagateway.web.binary;

import org.jspecify.annotations.NullMarked;
