package dev.mizzen.istiod.inject;

import dev.mizzen.pilot.inject.InjectionSettings;
import dev.mizzen.pilot.inject.SidecarInjector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import dev.mizzen.api.kube.KubeInformers;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The sidecar injector as the cluster configures it, Istio's way: ConfigMap {@code istio-sidecar-injector}
 * (keys {@code config} and {@code values}) and ConfigMap {@code istio} (key {@code mesh}) in istiod's
 * namespace, over the shipped defaults. Rebuilt when they change; a configuration that does not build is
 * logged and the last good injector keeps serving.
 *
 * <p>Threading: the shared ConfigMap informer (istiod's namespace) calls back on its thread, which rebuilds and
 * swaps the injector; webhook threads read it.
 */
public final class InjectorSource implements Supplier<SidecarInjector> {
    private static final Logger LOG = LoggerFactory.getLogger(InjectorSource.class);
    static final String INJECTOR_CONFIGMAP = "istio-sidecar-injector";
    static final String MESH_CONFIGMAP = "istio";

    private final AtomicReference<SidecarInjector> current = new AtomicReference<>(new SidecarInjector(InjectionSettings.defaults()));
    private final Map<String, Map<String, String>> data = new ConcurrentHashMap<>();
    /** Listens to the ConfigMaps of istiod's namespace, through the process's informers. */
    public static InjectorSource start(KubeInformers informers, String namespace) {
        InjectorSource source = new InjectorSource();
        SharedIndexInformer<ConfigMap> configMaps = informers.of(ConfigMap.class, KubeInformers.Selection.inNamespace(namespace));
        configMaps.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
                source.changed(obj.getMetadata().getName(), obj.getData());
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                source.changed(newObj.getMetadata().getName(), newObj.getData());
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                source.changed(obj.getMetadata().getName(), null);
            }
        });
        return source;
    }

    private synchronized void changed(String name, Map<String, String> values) {
        if (!name.equals(INJECTOR_CONFIGMAP) && !name.equals(MESH_CONFIGMAP)) {
            return;
        }
        if (values == null) {
            data.remove(name);
        } else {
            data.put(name, Map.copyOf(values));
        }
        Map<String, String> injector = data.getOrDefault(INJECTOR_CONFIGMAP, Map.of());
        try {
            current.set(new SidecarInjector(InjectionSettings.fromSources(injector.get("config"), injector.get("values"),
                    data.getOrDefault(MESH_CONFIGMAP, Map.of()).get("mesh"))));
            LOG.info("sidecar injector configured from ConfigMap {}", name);
        } catch (RuntimeException e) {
            LOG.warn("ConfigMap {} does not make a working injector, the last good one keeps serving: {}", name, e.getMessage());
        }
    }

    @Override
    public SidecarInjector get() {
        return current.get();
    }
}
