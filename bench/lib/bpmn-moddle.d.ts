// bpmn-moddle ships no type declarations; the peer bench only calls `new BpmnModdle().fromXML(xml)`.
declare module 'bpmn-moddle';
