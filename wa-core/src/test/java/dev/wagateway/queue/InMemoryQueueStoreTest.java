package dev.wagateway.queue;

class InMemoryQueueStoreTest extends QueueStoreContract {
  @Override
  protected QueueStore createStore() {
    return new InMemoryQueueStore();
  }
}
