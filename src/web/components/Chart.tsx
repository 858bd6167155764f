import * as echarts from 'echarts';
import { useEffect, useRef } from 'react';

/** An ECharts chart drawn as SVG; `data-rendered` turns true on ECharts' `finished` event (tests wait for it). */
export function Chart({
  option,
  height = 320,
  name,
  onClick,
}: {
  option: echarts.EChartsOption;
  height?: number;
  name: string;
  /** Called with the clicked item's data (graph nodes, bars…). */
  onClick?: (data: unknown) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current!;
    element.dataset.rendered = 'false';
    const chart = echarts.init(element, null, { renderer: 'svg' });
    chart.on('finished', () => {
      element.dataset.rendered = 'true';
    });
    if (onClick) chart.on('click', (event) => onClick(event.data));
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option, onClick]);
  return (
    <div ref={ref} className="chart" data-chart={name} style={{ height }} role="img" aria-label={name} />
  );
}
