// The training view registers the component drawn inside every node; the editor works without it.
import type { ComponentType } from 'react';
import { create } from 'zustand';

interface OverlayState {
  overlay: ComponentType<{ nodeId: string }> | null;
}

export const useOverlayRegistry = create<OverlayState>(() => ({ overlay: null }));

export const useNodeOverlay = () => useOverlayRegistry((s) => s.overlay);

export function registerNodeOverlay(overlay: ComponentType<{ nodeId: string }>): void {
  useOverlayRegistry.setState({ overlay });
}
