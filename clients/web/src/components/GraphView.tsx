import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { Graph } from '../api';
import { navigate } from '../hooks/router';
import { subjectColour } from '../lib/subject-colour';

/**
 * Cytoscape adds an inline <style> for `.__________cytoscape_container { position: relative }` unless an
 * element with this id exists; the content policy refuses inline styles, so styles.css carries the rule
 * and this placeholder tells cytoscape it is there.
 */
const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';
function markStylesheetPresent() {
  if (document.getElementById(CYTOSCAPE_STYLESHEET_ID)) return;
  const marker = document.createElement('meta');
  marker.id = CYTOSCAPE_STYLESHEET_ID;
  document.head.prepend(marker);
}

/** The knowledge graph drawn by cytoscape: a node per note coloured by subject, an edge per related pair. */
export function GraphView({ graph, dark }: { graph: Graph; dark: boolean }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    markStylesheetPresent();
    const cy = cytoscape({
      container: container.current,
      elements: [
        ...graph.nodes.map((n) => ({
          data: { id: n.note_id, label: n.title, colour: subjectColour(n.subject) },
        })),
        ...graph.edges.map((e) => ({
          data: { id: `${e.source}-${e.target}`, source: e.source, target: e.target, weight: e.weight },
        })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(colour)',
            label: 'data(label)',
            color: dark ? '#e5e7eb' : '#111827',
            'font-size': 11,
            'text-wrap': 'wrap',
            'text-max-width': '140px',
            'text-valign': 'bottom',
            'text-margin-y': 4,
            width: 22,
            height: 22,
          },
        },
        {
          selector: 'edge',
          style: {
            width: 'mapData(weight, 0, 1, 1, 6)',
            'line-color': dark ? '#6b7280' : '#9ca3af',
            'curve-style': 'bezier',
          },
        },
      ],
      layout: { name: graph.nodes.length > 1 ? 'cose' : 'grid', animate: false, padding: 30 },
      wheelSensitivity: 0.3,
      // a few notes would otherwise be fitted to fill the whole box
      maxZoom: 1.2,
      minZoom: 0.2,
    });
    cy.on('tap', 'node', (event) => navigate(`/read/${event.target.id()}`));
    cy.on('mouseover', 'node', () => container.current?.classList.add('pointer'));
    cy.on('mouseout', 'node', () => container.current?.classList.remove('pointer'));
    container.current.dataset.nodes = String(cy.nodes().length);
    container.current.dataset.edges = String(cy.edges().length);
    return () => cy.destroy();
  }, [graph, dark]);
  return (
    <div
      ref={container}
      className="graph"
      data-testid="graph-canvas"
      role="img"
      aria-label={`Knowledge graph: ${graph.nodes.length} notes, ${graph.edges.length} links. The list below has the same notes.`}
    />
  );
}
