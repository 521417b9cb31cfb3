package dev.wagateway.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/** A {@code type} around a delegate, with a hook ahead of every call: for stores that fail, wait or count. */
public final class Intercept {
  /** What a hook returns to let the call go on to the delegate. */
  public static final Object PROCEED = new Object();

  /** Runs ahead of each call: returns {@link #PROCEED}, a value to answer instead, or throws. */
  @FunctionalInterface
  public interface Hook {
    Object before(Method method, Object[] args) throws Throwable;
  }

  private Intercept() {}

  @SuppressWarnings("unchecked")
  public static <T> T around(Class<T> type, T delegate, Hook hook) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      Object answer = hook.before(method, args);
      if (answer != PROCEED) {
        return answer;
      }
      try {
        return method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }
}
