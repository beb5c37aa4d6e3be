import {
  Background,
  type Connection,
  ControlButton,
  Controls,
  type Edge,
  type EdgeChange,
  type EdgeTypes,
  MiniMap,
  type NodeChange,
  Panel,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { edgeProblem, type NodeType } from '../../engine/index.ts';
import { useApp, useEditor, useT } from '../appContext.tsx';
import { renderProblem, translate } from '../i18n/catalogue.ts';
import { startImport } from '../data/ImportDialog.tsx';
import { MINIMAP_KEY } from '../editor/storageKeys.ts';
import { droppedFiles, pickedFile } from '../data/importFiles.ts';
import { importFile } from '../io/files.ts';
import { LARGE_GRAPH_NODES, RENDER_EVERY_NODE } from '../io/imageExport.ts';
import { nodeCssVars, READABLE_FIT } from '../nodes/nodeLook.ts';
import { nodeTypes } from '../nodes/nodeTypes.tsx';
import { FlowEdge } from './FlowEdge.tsx';
import type { CanvasNode, CanvasNodeData } from '../nodes/types.ts';
import { useTraceFocus } from '../learn/traceFocus.ts';
import { fitReadable, placementAt } from './visibleArea.ts';
import { EdgeControls } from '../train/TrainingView.tsx';

export const PALETTE_MIME = 'application/x-nodegrad-node';
const GRID: [number, number] = [20, 20];

/** Every edge is a FlowEdge (React Flow's 'default' type): drawn by the gradient it carries. */
const edgeTypes: EdgeTypes = { default: FlowEdge };

/** The React Flow canvas over the document: nodes and edges are derived, every edit is a command. */
const EDGE_LABEL_STYLE = { fill: '#667085', fontSize: 12 };
const EDGE_LABEL_BG = { fill: '#f6f7f9' };

export function Canvas() {
  const doc = useEditor((s) => s.doc);
  const analysis = useEditor((s) => s.analysis);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const livePositions = useEditor((s) => s.livePositions);
  const measured = useEditor((s) => s.measured);
  const externalErrors = useEditor((s) => s.externalErrors);
  const focusRequest = useEditor((s) => s.focusRequest);
  const viewport = useEditor((s) => s.viewport);
  const lang = useEditor((s) => s.lang);
  const focus = useTraceFocus();
  const { editor } = useApp();
  const t = useT();
  const flow = useReactFlow();
  const [hint, setHint] = useState<string | null>(null);
  // NOTE: the minimap is off by default (it covered nodes and swallowed wiring drags); remembered.
  const [minimap, setMinimapState] = useState(() => localStorage.getItem(MINIMAP_KEY) === '1');
  const setMinimap = (on: boolean) => {
    localStorage.setItem(MINIMAP_KEY, on ? '1' : '0');
    setMinimapState(on);
  };
  const cache = useRef(new Map<string, { key: unknown[]; data: CanvasNodeData }>());
  // NOTE: React Flow's own tooltips and labels, in the UI's language.
  const flowLabels = useMemo(
    () => ({
      'controls.ariaLabel': t('flow.controls'),
      'controls.zoomIn.ariaLabel': t('flow.zoomIn'),
      'controls.zoomOut.ariaLabel': t('flow.zoomOut'),
      'controls.interactive.ariaLabel': t('flow.lock'),
      'minimap.ariaLabel': t('canvas.minimap'),
      'controls.fitView.ariaLabel': t('canvas.fitView'),
      'handle.ariaLabel': t('flow.handle'),
      'node.a11yDescription.default': t('flow.nodeKeys'),
      'node.a11yDescription.keyboardDisabled': t('flow.nodeKeys'),
      'edge.a11yDescription.default': t('flow.edgeKeys'),
    }),
    [t],
  );

  // NOTE: node data objects are reused while their inputs are unchanged, so memo'd node
  // components do not re-render on every drag frame (smooth with hundreds of nodes).
  const nodes: CanvasNode[] = useMemo(() => {
    const problemsByNode = new Map<string, string[]>();
    for (const p of analysis.problems)
      if (p.nodeId) problemsByNode.set(p.nodeId, [...(problemsByNode.get(p.nodeId) ?? []), renderProblem(lang, p)]);
    for (const [id, message] of externalErrors)
      problemsByNode.set(id, [...(problemsByNode.get(id) ?? []), translate(lang, 'problems.stopped', { message })]);
    const infos = new Map(analysis.nodes.map((i) => [i.id, i]));
    const selected = new Set(selectedNodes);
    return doc.nodes.map((node) => {
      const info = infos.get(node.id);
      const problems = problemsByNode.get(node.id) ?? [];
      const isInput = node.type === 'input';
      const key = [
        node,
        info?.paramCount,
        info?.outputShape?.join(),
        info?.fusedIntoLoss,
        problems.join('\n'),
        isInput ? `${analysis.inputShape}|${analysis.targetShape}` : '',
      ];
      let entry = cache.current.get(node.id);
      if (!entry || entry.key.some((k, i) => k !== key[i])) {
        entry = {
          key,
          data: {
            node,
            info,
            problems,
            inputShape: isInput ? analysis.inputShape : undefined,
            targetShape: isInput ? analysis.targetShape : undefined,
          },
        };
        cache.current.set(node.id, entry);
      }
      const m = measured.get(node.id);
      return {
        id: node.id,
        type: node.type,
        position: livePositions.get(node.id) ?? node.position,
        data: entry.data,
        selected: selected.has(node.id),
        ...(focus?.nodeId === node.id ? { className: `ng-trace-node ${focus.phase}` } : {}),
        ...(m ? { measured: m } : {}),
      };
    });
  }, [doc, analysis, selectedNodes, livePositions, measured, externalErrors, lang, focus]);

  const edges: Edge[] = useMemo(() => {
    const selected = new Set(selectedEdges);
    return doc.edges.map((e) => {
      const shape = analysis.edgeShapes.get(e.id);
      return {
        id: e.id,
        source: e.source,
        sourceHandle: e.sourceHandle,
        target: e.target,
        targetHandle: e.targetHandle,
        selected: selected.has(e.id),
        ariaLabel: t('flow.edge', { source: e.source, target: e.target }),
        label: shape ? `[B, ${shape.join(', ')}]` : undefined,
        // NOTE: resolved colours, not the stylesheet's variables: PNG/SVG export (html-to-image) draws these SVG parts from inline styles.
        labelStyle: EDGE_LABEL_STYLE,
        labelBgStyle: EDGE_LABEL_BG,
        className: focus?.edges.has(e.id) ? `ng-edge ng-trace-edge ${focus.phase}` : 'ng-edge',
        ...(focus?.edges.has(e.id) ? { animated: true } : {}),
      };
    });
  }, [doc, analysis, selectedEdges, focus, t]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const state = editor.getState();
      const live = new Map<string, { x: number; y: number }>();
      const sizes = new Map<string, { width: number; height: number }>();
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'position' && c.position) {
          if (c.dragging) live.set(c.id, c.position);
        } else if (c.type === 'dimensions' && c.dimensions) {
          // NOTE: only real size changes are stored; echoing equal sizes back would loop forever.
          const old = state.measured.get(c.id);
          if (old && old.width === c.dimensions.width && old.height === c.dimensions.height) continue;
          sizes.set(c.id, c.dimensions);
        } else if (c.type === 'select') {
          selection ??= new Set(state.selectedNodes);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (live.size > 0) editor.dragNodes(live);
      if (sizes.size > 0) editor.setMeasured(sizes);
      if (selection) editor.select([...selection], editor.getState().selectedEdges);
    },
    [editor],
  );

  const onNodeDragStop = useCallback(() => editor.endDrag(), [editor]);

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const state = editor.getState();
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'select') {
          selection ??= new Set(state.selectedEdges);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (selection) editor.select(editor.getState().selectedNodes, [...selection]);
    },
    [editor],
  );

  const isValidConnection = useCallback(
    (c: Edge | Connection) => {
      const problem = edgeProblem(editor.getState().doc, c);
      setHint(problem ? renderProblem(editor.getState().lang, problem) : null);
      return problem === null;
    },
    [editor],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.sourceHandle || !c.targetHandle) return;
      const result = editor.run({
        type: 'connect',
        source: c.source,
        sourceHandle: c.sourceHandle,
        target: c.target,
        targetHandle: c.targetHandle,
      });
      if (!result.ok) setHint(renderProblem(editor.getState().lang, result.reason));
    },
    [editor],
  );

  const onDelete = useCallback(
    ({ nodes: n, edges: e }: { nodes: CanvasNode[]; edges: Edge[] }) => {
      if (n.length === 0 && e.length === 0) return;
      editor.run({ type: 'delete', nodeIds: n.map((x) => x.id), edgeIds: e.map((x) => x.id) });
    },
    [editor],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = event.dataTransfer.types.includes('Files') ? 'copy' : 'move';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const file = event.dataTransfer.files[0];
      if (file && /\.json$/i.test(file.name)) {
        void importFile(editor, file);
        return;
      }
      if (event.dataTransfer.types.includes('Files')) {
        // Data for an Input node (CSV, HDF5, images or a folder of them): the one it is dropped on, else the selected one.
        const onNode =
          (event.target as HTMLElement).closest?.('.react-flow__node')?.getAttribute('data-id') ?? undefined;
        const target = editor.getState().doc.nodes.find((n) => n.id === onNode && n.type === 'input')?.id;
        const items = event.dataTransfer.items;
        const files = [...event.dataTransfer.files];
        void (async () => {
          const picked = items.length > 0 ? await droppedFiles(items) : files.map((f) => pickedFile(f));
          if (picked.length > 0) await startImport(editor, picked, target);
        })();
        return;
      }
      const type = event.dataTransfer.getData(PALETTE_MIME) as NodeType;
      if (!type) return;
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const result = editor.run({ type: 'addNode', nodeType: type, ...placementAt(flow, type, at) });
      if (result.ok) editor.select(result.ids);
    },
    [flow, editor],
  );

  useEffect(() => {
    if (!focusRequest) return;
    const node = editor.getState().doc.nodes.find((n) => n.id === focusRequest);
    if (node)
      void flow.setCenter(node.position.x + 80, node.position.y + 40, {
        zoom: Math.max(flow.getZoom(), 1),
        duration: 300,
      });
    editor.clearFocusRequest();
  }, [focusRequest, flow, editor]);

  const [everyNode, setEveryNode] = useState(false);
  useEffect(() => {
    const onRequest = (e: Event) => setEveryNode((e as CustomEvent<boolean>).detail);
    addEventListener(RENDER_EVERY_NODE, onRequest);
    return () => removeEventListener(RENDER_EVERY_NODE, onRequest);
  }, []);

  return (
    <div className="ng-canvas" onDragOver={onDragOver} onDrop={onDrop} style={nodeCssVars}>
      <ReactFlow<CanvasNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onlyRenderVisibleElements={!everyNode && nodes.length > LARGE_GRAPH_NODES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectEnd={() => setTimeout(() => setHint(null), 2500)}
        isValidConnection={isValidConnection}
        onDelete={onDelete}
        deleteKeyCode={['Delete', 'Backspace']}
        snapToGrid
        snapGrid={GRID}
        defaultViewport={viewport ?? { x: 40, y: 80, zoom: 0.9 }}
        fitView={viewport === null}
        fitViewOptions={READABLE_FIT}
        onMoveEnd={(_, vp) => editor.setViewport(vp)}
        minZoom={0.1}
        maxZoom={2.5}
        proOptions={{ hideAttribution: false }}
        selectionKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        ariaLabelConfig={flowLabels}
      >
        <Background gap={GRID[0]} />
        <Controls position="bottom-right" style={{ marginBottom: 28 }} showFitView={false}>
          {/* NOTE: our own fit: React Flow's shrinks a large graph until node text is unreadable. */}
          <ControlButton
            className="react-flow__controls-fitview"
            onClick={() => fitReadable(flow)}
            title={t('canvas.fitView')}
            aria-label={t('canvas.fitView')}
          >
            <svg viewBox="0 0 32 32" aria-hidden="true">
              <path d="M3 11V3h8M21 3h8v8M29 21v8h-8M11 29H3v-8" fill="none" stroke="currentColor" strokeWidth="4" />
            </svg>
          </ControlButton>
        </Controls>
        {minimap && <MiniMap pannable zoomable nodeStrokeWidth={3} ariaLabel={t('canvas.minimap')} />}
        <Panel position="top-center" className="ng-canvas-tools">
          <EdgeControls />
          <label className="ng-check">
            <input
              type="checkbox"
              data-testid="minimap-toggle"
              checked={minimap}
              onChange={(e) => setMinimap(e.target.checked)}
            />{' '}
            {t('canvas.minimapToggle')}
          </label>
        </Panel>
      </ReactFlow>
      {hint && (
        <div className="ng-hint" role="status" data-testid="connection-hint">
          {hint}
        </div>
      )}
    </div>
  );
}
