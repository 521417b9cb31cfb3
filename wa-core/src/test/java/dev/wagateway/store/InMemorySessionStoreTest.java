package dev.wagateway.store;

class InMemorySessionStoreTest extends SessionStoreContract {
  @Override
  protected SessionStore createStore() {
    return new InMemorySessionStore();
  }
}
