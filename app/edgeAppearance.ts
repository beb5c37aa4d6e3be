// How edges look beyond their shape label: the training view registers a function that styles
// edges by the gradient flowing through them; without it edges keep the default style.
import type { CSSProperties } from 'react';
import { create } from 'zustand';
import type { GraphEdge } from '../engine/index.ts';

export interface EdgeLook {
  style: CSSProperties;
  animated?: boolean;
}

type Appearance = (edge: GraphEdge) => EdgeLook | null;

const none: Appearance = () => null;

export const useEdgeAppearanceRegistry = create<{ appearance: Appearance }>(() => ({ appearance: none }));

export const useEdgeAppearance = () => useEdgeAppearanceRegistry((s) => s.appearance);

export function setEdgeAppearance(appearance: Appearance | null): void {
  useEdgeAppearanceRegistry.setState({ appearance: appearance ?? none });
}
