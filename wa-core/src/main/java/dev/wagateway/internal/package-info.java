/** Implementation classes; not API. Anything here may change without notice. */
@NullMarked
package dev.wagateway.internal;

import org.jspecify.annotations.NullMarked;
