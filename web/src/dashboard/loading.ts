// Loads a screen's answers whenever its route (period, estate, department) changes; the body's
// data-loaded says when what is shown is the current period's (the browser tests wait for it).
import { ref, watch, type WatchSource } from "vue";
import { ApiError } from "@/shared/api";

export function useLoad<T>(source: WatchSource, load: () => Promise<T>) {
  const data = ref<T>();
  const error = ref<string>();
  let asked = 0;
  watch(
    source,
    async () => {
      const mine = ++asked;
      document.body.dataset.loaded = "false";
      error.value = undefined;
      try {
        const answer = await load();
        if (mine !== asked) return; // a later period was asked meanwhile: its answer wins
        data.value = answer;
        document.body.dataset.loaded = "true";
      } catch (err) {
        if (mine !== asked) return;
        data.value = undefined;
        error.value = err instanceof ApiError ? String(err.status) : String(err);
        document.body.dataset.loaded = "error";
      }
    },
    { immediate: true, deep: true },
  );
  return { data, error };
}
