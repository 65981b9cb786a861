package io.charlatan.process;

/** Ready at once. */
final class ImmediateReady implements Ready {
  static final ImmediateReady INSTANCE = new ImmediateReady();

  private ImmediateReady() {}

  @Override
  public boolean isReady(ServiceProbe probe) {
    return true;
  }

  @Override
  public String describe() {
    return "nothing (ready as soon as it runs)";
  }
}
