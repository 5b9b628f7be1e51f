/**
 * The service's own meters for operators, one class per concern, each registering its meters on a Micrometer
 * {@code MeterRegistry} (Spring Boot exports them, e.g. at {@code /actuator/prometheus}). Micrometer only: the
 * layers above call these classes with plain numbers and names, so nothing here knows the service's types.
 */
package dev.captioner.metrics;
