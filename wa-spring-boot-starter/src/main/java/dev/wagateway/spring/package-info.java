/**
 * Reserved for the wa-spring-boot-starter module; its issue in the tracker says what lands here. Empty on purpose:
 * no placeholder code pretends to work before then.
 */
@NullMarked
package dev.wagateway.spring;

import org.jspecify.annotations.NullMarked;
