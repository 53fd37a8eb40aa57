/** The plots drawn under an element, through its components' shadow roots, as report figures. */
import type { ReportFigure } from '../../export/report-html';
import { standaloneSvg } from '../../export/plot-svg';

/** Every `figure[data-plot]` (the figure wrappers of the explorer, model and dose plots) that has a drawn plot, in page order. */
export function reportFigures(root: Element): ReportFigure[] {
  const figures: ReportFigure[] = [];
  const visit = (scope: Element | ShadowRoot): void => {
    for (const element of Array.from(scope.querySelectorAll('*'))) {
      if (element.matches('figure[data-plot]')) {
        const plot = element.querySelector(':scope > .plot > *');
        const caption = element.querySelector(':scope > figcaption');
        const detail = caption?.querySelector('.detail')?.textContent ?? '';
        const title = (caption?.textContent ?? '').slice(0, (caption?.textContent ?? '').length - detail.length).trim();
        if (plot) figures.push({ caption: title, detail: detail.trim(), svg: standaloneSvg(plot).text });
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(root.shadowRoot ?? root);
  return figures;
}
