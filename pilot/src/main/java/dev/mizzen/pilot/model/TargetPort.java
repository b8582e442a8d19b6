package dev.mizzen.pilot.model;

/** A Service's targetPort: a number, or the name of a container port resolved per endpoint. */
public record TargetPort(Integer number, String name) {
    public static TargetPort of(int number) {
        return new TargetPort(number, null);
    }

    public static TargetPort named(String name) {
        return new TargetPort(null, name);
    }

    public boolean isNamed() {
        return name != null;
    }

    @Override
    public String toString() {
        return isNamed() ? name : String.valueOf(number);
    }
}
