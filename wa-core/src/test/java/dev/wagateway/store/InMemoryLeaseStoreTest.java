package dev.wagateway.store;

class InMemoryLeaseStoreTest extends LeaseStoreContract {
  @Override
  protected LeaseStore createLeaseStore() {
    return new InMemoryLeaseStore();
  }
}
