package dev.wagateway.engine;

import dev.wagateway.WaException;
import dev.wagateway.message.Failure;

/** A send failed with a typed {@link Failure}. */
public class EngineSendException extends WaException {
  private static final long serialVersionUID = 1L;
  private final transient Failure failure;

  public EngineSendException(Failure failure) {
    super(failure.type() + " (" + failure.code() + "): " + failure.detail());
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
